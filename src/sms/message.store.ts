import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { MessageEntity, type MessageStatus } from './message.entity.js';

export type NewMessage = Omit<
  MessageEntity,
  'createdAt' | 'updatedAt' | 'status' | 'providerSid' | 'errorCode' | 'responseJson' | 'responseStatus'
>;

export interface Settlement {
  status: MessageStatus;
  providerSid?: string | null;
  errorCode?: string | null;
  response?: Record<string, unknown>;
}

/** Message rows: claimed before the transport is called, settled after. */
@Injectable()
export class MessageStore {
  constructor(@InjectRepository(MessageEntity) private readonly repo: Repository<MessageEntity>) {}

  async claim(message: NewMessage): Promise<MessageEntity> {
    return this.repo.save(
      this.repo.create({
        ...message,
        status: 'accepted',
        providerSid: null,
        errorCode: null,
        responseJson: null,
      }),
    );
  }

  async settle(id: string, settlement: Settlement): Promise<void> {
    await this.repo.update(
      { id },
      {
        status: settlement.status,
        providerSid: settlement.providerSid ?? null,
        errorCode: settlement.errorCode ?? null,
        responseJson: settlement.response ? JSON.stringify(settlement.response) : null,
      },
    );
  }

  findById(id: string): Promise<MessageEntity | null> {
    return this.repo.findOneBy({ id });
  }
}
