import { Module } from '@nestjs/common';
import { InboundMessageStore } from './inbound-message.store.js';

/** Messages patients send to our number: recorded once each (inbound_messages). */
@Module({ providers: [InboundMessageStore], exports: [InboundMessageStore] })
export class InboundModule {}
