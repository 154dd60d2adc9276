import { Injectable } from '@nestjs/common';

/** The time, behind a seam so quiet-hours behaviour can be specified at any hour. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
