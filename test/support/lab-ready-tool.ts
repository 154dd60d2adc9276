import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ToolRequestDto } from '../../src/tools/dto/tool-request.dto.js';
import { defineTool } from '../../src/tools/tool-definition.js';

/** A sixth tool that exists only in the specs: one DTO, one template, one registry entry. */
export class SendLabReadyDto extends ToolRequestDto {
  @ApiProperty({ description: 'Which lab.', enum: ['blood', 'imaging'], example: 'blood' })
  @IsIn(['blood', 'imaging'])
  lab: 'blood' | 'imaging';
}

export const sendLabReadyTool = defineTool({
  name: 'send_lab_ready',
  path: 'send-lab-ready',
  summary: 'Tell the patient a lab result is ready',
  description: 'Use when the patient asks whether their lab result is in.',
  label: 'the lab notice',
  requestDto: SendLabReadyDto,
  template: 'Your {{lab}} results are ready in the patient portal.',
  variables: ['lab'],
  toVariables: (dto: SendLabReadyDto) => ({ lab: dto.lab }),
});
