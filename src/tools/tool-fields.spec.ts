import { sendLabReadyTool } from '../../test/support/lab-ready-tool.js';
import { sendSmsTool } from './default-tools.js';
import { checkTextStatusTool } from './status-tool.js';
import { exampleRequest, toolFields } from './tool-fields.js';

describe('toolFields', () => {
  it('lists the common fields first, then the tool’s own, as Swagger documents them', () => {
    expect(toolFields(sendSmsTool).map((f) => [f.name, f.required, f.isCommon])).toEqual([
      ['phone_number', true, true],
      ['conversation_id', false, true],
      ['caller_id', false, true],
      ['agent_id', false, true],
      ['language', false, true],
      ['timezone', false, true],
      ['message', true, false],
      ['patient_name', false, false],
      ['urgent', false, false],
      ['media_url', false, false],
    ]);
  });

  it('gives the values of a field with a fixed set, and its example', () => {
    expect(toolFields(sendLabReadyTool).find((f) => f.name === 'lab')).toEqual({
      name: 'lab',
      required: true,
      enum: ['blood', 'imaging'],
      example: 'blood',
      isCommon: false,
    });
  });

  it('leaves out the fields a DTO hides from the document', () => {
    expect(toolFields(checkTextStatusTool).map((f) => f.name)).toEqual(['conversation_id']);
  });
});

describe('exampleRequest', () => {
  it('fills the required fields with their examples, each tool its own number', () => {
    expect(exampleRequest(sendSmsTool)).toEqual({
      phone_number: '+15555550101',
      message: 'Test message from your healthcare team!',
    });
  });

  it('adds the optional fields when asked', () => {
    expect(exampleRequest(sendSmsTool, { withOptional: true })).toMatchObject({
      conversation_id: 'conv_example_send_sms',
      patient_name: 'Jane Doe',
      urgent: false,
    });
  });
});
