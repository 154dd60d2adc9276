import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { readerOf } from '../auth/requester.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import { EventDto, EventListDto, EventsQueryDto } from './dto/event.dto.js';
import { EventsService } from './events.service.js';

@ApiTags('Events')
@RequireScope('admin')
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    operationId: 'list_events',
    summary: "Events for the clinic's endpoint, newest first",
    description:
      'Every event written for EVENTS_WEBHOOK_URL, with its delivery state: pending, delivering, delivered, or dead (every attempt for EVENTS_MAX_AGE_HOURS failed). Bodies hold ids, the tool and masked numbers, never a text.',
  })
  @ApiOkResponse({ type: EventListDto })
  @ApiErrorResponses(400, 401, 403, 500)
  list(@Query() query: EventsQueryDto): Promise<EventListDto> {
    return this.events.list(query);
  }

  @Post(':id/redeliver')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'redeliver_event',
    summary: 'Deliver a dead-lettered event again',
    description:
      'Puts the event back in line with a new retry window, under the same id (the receiver drops it if it got it after all). Recorded in the audit log as event.redelivered.',
  })
  @ApiParam({ name: 'id', example: 'msg_2b6f0c1e9d8a4f7b8c3d2e1f0a9b8c7d' })
  @ApiOkResponse({ type: EventDto })
  @ApiErrorResponses(401, 403, 404, 409, 500)
  redeliver(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<EventDto> {
    return this.events.redeliver(id, readerOf(req));
  }
}
