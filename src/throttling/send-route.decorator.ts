import { SetMetadata } from '@nestjs/common';

export const IS_SEND_ROUTE = 'throttling:isSendRoute';

/** Marks a route that texts a patient: the recipient, conversation and daily limits apply to it. */
export const SendRoute = () => SetMetadata(IS_SEND_ROUTE, true);
