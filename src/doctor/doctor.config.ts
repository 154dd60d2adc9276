import { registerAs } from '@nestjs/config';
import { readString, readUrl } from '../config/env.js';

/**
 * What only the doctor reads: how to reach ElevenLabs to compare the agent's tools. Unset:
 * the doctor leaves ElevenLabs out.
 */
export const doctorConfig = registerAs('doctor', () => {
  const env = process.env;
  return {
    elevenLabsApiKey: readString(env, 'ELEVENLABS_API_KEY'),
    elevenLabsBaseUrl: readUrl(env, 'ELEVENLABS_BASE_URL'),
    elevenLabsAgentId: readString(env, 'ELEVENLABS_AGENT_ID'),
  };
});

export type DoctorConfig = ReturnType<typeof doctorConfig>;
