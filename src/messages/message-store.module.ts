import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UnitOfWorkModule } from '../database/unit-of-work.module.js';
import { MessageEntity } from './message.entity.js';
import { MessageStore } from './message.store.js';

/** The one writer of `messages`. */
@Module({
  imports: [TypeOrmModule.forFeature([MessageEntity]), UnitOfWorkModule],
  providers: [MessageStore],
  exports: [MessageStore],
})
export class MessageStoreModule {}
