import { sendAppointmentConfirmationTool, sendSmsTool } from '../tools/default-tools.js';
import { FREE_TEXT, intentOf } from './reply-intent.js';

describe('intentOf', () => {
  const replies = sendAppointmentConfirmationTool.replies;

  it.each([
    ['C', 'appointment.confirmed'],
    [' c. ', 'appointment.confirmed'],
    ['R!', 'appointment.reschedule_requested'],
  ])('reads %j as %s', (body, intent) => {
    expect(intentOf(body, replies)).toBe(intent);
  });

  it.each(['C please', 'Confirm', 'Can we do Thursday?', '1'])('reads %j as free text', (body) => {
    expect(intentOf(body, replies)).toBe(FREE_TEXT);
  });

  it('reads every reply to a tool that declares none as free text', () => {
    expect(intentOf('C', sendSmsTool.replies)).toBe(FREE_TEXT);
  });
});
