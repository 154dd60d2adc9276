import type { OpenAPIObject } from '@nestjs/swagger';
import type { ToolExport } from '../elevenlabs/elevenlabs.service.js';
import type { ToolDefinition } from '../../tools/tool-definition.js';
import { blandName, buildBlandTools } from './bland.export.js';

/** The smallest document a tool's parameters are read from. */
function documentFor(name: string): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      [`/api/sms/${name}`]: {
        post: {
          operationId: name,
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    phone_number: { type: 'string' },
                    message: { type: 'string' },
                    conversation_id: { type: 'string' },
                    caller_id: { type: 'string' },
                  },
                  required: ['phone_number', 'message'],
                },
              },
            },
          },
          responses: {},
        },
      },
    },
  };
}

function exportOf(name: string, recipientPolicy: 'any' | 'caller_only'): ToolExport {
  return {
    document: documentFor(name),
    tools: [{ name, description: 'Texts the patient.' } as ToolDefinition],
    settings: {
      publicBaseUrl: 'https://sms.example.org/',
      requestDeadlineMs: 10_000,
      recipientPolicy,
      secretId: 'unused',
    },
    placeholders: [],
    secret: { name: 'unused' },
  };
}

describe('buildBlandTools', () => {
  it('lets the LLM fill its inputs and Bland the call context', () => {
    const [tool] = buildBlandTools(exportOf('send_note', 'any'));

    expect(tool.url).toBe('https://sms.example.org/api/sms/send_note');
    expect(tool.body).toEqual({
      phone_number: '{{input.phone_number}}',
      message: '{{input.message}}',
      conversation_id: '{{call_id}}',
      caller_id: '{{phone_number}}',
    });
    expect(tool.input_schema.properties).not.toHaveProperty('caller_id');
    expect(tool.timeout).toBe(15_000);
  });

  it('binds the recipient to the caller under caller_only', () => {
    const [tool] = buildBlandTools(exportOf('send_note', 'caller_only'));

    expect(tool.body.phone_number).toBe('{{phone_number}}');
    expect(tool.input_schema.properties).not.toHaveProperty('phone_number');
  });

  it('leaves out the words Bland reserves from the name it sees, and still calls the tool', () => {
    const [tool] = buildBlandTools(exportOf('send_wait_notice', 'any'));
    expect(tool.name).toBe('send_notice');
    expect(tool.url).toBe('https://sms.example.org/api/sms/send_wait_notice');
    expect(() => blandName('record_wait')).toThrow('every word');
  });
});
