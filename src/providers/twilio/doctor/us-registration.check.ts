import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { maskPhone } from '../../../common/mask.js';
import type {
  TwilioNumberFacts,
  TwilioServiceFacts,
  TwilioServiceNumberFacts,
} from '../twilio-account.js';
import { fail, pass, warn, type CheckResult } from '../../../doctor/check.js';
import { TWILIO_CHECKS, tail, type TwilioReads } from './twilio-reads.js';

type Standing = 'approved' | 'pending' | 'missing' | 'rejected';

/** US senders must be registered (A2P 10DLC or toll-free verification) or carriers filter them. */
export async function registrationCheck(
  number: TwilioNumberFacts | null,
  service: TwilioServiceFacts | null,
  pool: TwilioServiceNumberFacts[],
  twilio: TwilioReads,
): Promise<CheckResult> {
  const senders = service ? pool : number ? [number] : [];
  const findings: { standing: Standing; text: string }[] = [];
  let tenDlcChecked = false;
  for (const sender of senders) {
    const parsed = parsePhoneNumberFromString(sender.phoneNumber);
    if (parsed?.country !== 'US') continue;
    const masked = maskPhone(sender.phoneNumber);
    if (parsed.getType() === 'TOLL_FREE') {
      const [latest] = await twilio.tollfreeVerifications(sender.sid);
      findings.push(tollFreeStanding(masked, latest));
    } else if (!service) {
      findings.push({
        standing: 'missing',
        text: `${masked} is a US local number with no Messaging Service, so no A2P 10DLC campaign`,
      });
    } else if (!tenDlcChecked) {
      tenDlcChecked = true;
      findings.push(campaignStanding(service, await twilio.campaignStatuses(service.sid)));
    }
  }
  if (findings.length === 0) {
    return pass(
      TWILIO_CHECKS.registration,
      'no US long code or toll-free sender: nothing to register in the US',
    );
  }
  const detail = findings.map((f) => f.text).join('; ');
  if (findings.some((f) => f.standing === 'missing' || f.standing === 'rejected')) {
    return fail(
      TWILIO_CHECKS.registration,
      detail,
      'Register before texting: an A2P 10DLC brand and campaign on the Messaging Service for local numbers, a toll-free verification for toll-free ones (Messaging, Regulatory compliance). Carriers filter unregistered texts (errors 30034, 30032).',
    );
  }
  if (findings.some((f) => f.standing === 'pending')) {
    return warn(
      TWILIO_CHECKS.registration,
      detail,
      'Wait for approval before texting patients: until then carriers may filter the texts.',
    );
  }
  return pass(TWILIO_CHECKS.registration, detail);
}

function tollFreeStanding(
  masked: string,
  latest: { status: string; rejectionReason: string | null } | undefined,
): { standing: Standing; text: string } {
  if (!latest) return { standing: 'missing', text: `toll-free ${masked} has no verification` };
  if (latest.status === 'TWILIO_APPROVED')
    return { standing: 'approved', text: `toll-free ${masked} verified` };
  if (latest.status === 'TWILIO_REJECTED') {
    return {
      standing: 'rejected',
      text: `toll-free ${masked} verification rejected${latest.rejectionReason ? ` (${latest.rejectionReason})` : ''}`,
    };
  }
  return { standing: 'pending', text: `toll-free ${masked} verification ${latest.status}` };
}

function campaignStanding(
  service: TwilioServiceFacts,
  statuses: string[],
): { standing: Standing; text: string } {
  const where = `A2P 10DLC campaign on ${tail(service.sid)}`;
  if (statuses.length === 0) return { standing: 'missing', text: `no ${where}` };
  if (statuses.includes('VERIFIED')) return { standing: 'approved', text: `${where} VERIFIED` };
  if (statuses.every((s) => s === 'FAILED'))
    return { standing: 'rejected', text: `${where} FAILED` };
  return { standing: 'pending', text: `${where} ${statuses.join(', ')}` };
}
