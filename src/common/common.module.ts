import { Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { RecipientHasher } from './recipient-hasher.js';

@Module({ providers: [RecipientHasher, Clock], exports: [RecipientHasher, Clock] })
export class CommonModule {}
