import { Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { KeyedDigests } from './keyed-digest.js';
import { RecipientHasher } from './recipient-hasher.js';

@Module({
  providers: [RecipientHasher, Clock, KeyedDigests],
  exports: [RecipientHasher, Clock, KeyedDigests],
})
export class CommonModule {}
