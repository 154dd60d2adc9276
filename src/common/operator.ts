import { userInfo } from 'node:os';

const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,54}$/;

/**
 * The actor a command-line run records: `operator:<name>`, from --operator or the OS user, so
 * the audit trail tells a person's purge from the service's own. Throws on a name that is not one.
 */
export function operatorActor(name: string | undefined = userInfo().username): string {
  if (!OPERATOR_NAME.test(name)) {
    throw new TypeError(
      `"${name}" is not an operator name: use --operator with [A-Za-z0-9_.@-], up to 55 characters`,
    );
  }
  return `operator:${name}`;
}
