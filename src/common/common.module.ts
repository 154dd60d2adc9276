import { Global, Module } from '@nestjs/common';
import { RecipientHasher } from './recipient-hasher.js';

@Global()
@Module({ providers: [RecipientHasher], exports: [RecipientHasher] })
export class CommonModule {}
