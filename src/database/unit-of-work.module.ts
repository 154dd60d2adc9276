import { Module } from '@nestjs/common';
import { UnitOfWork } from './unit-of-work.js';

/** One UnitOfWork for the process: SQLite's queue must be shared by every writer. */
@Module({ providers: [UnitOfWork], exports: [UnitOfWork] })
export class UnitOfWorkModule {}
