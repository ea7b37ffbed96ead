/**
 * An error meant for the person: the message names the file or field at fault. The CLI prints
 * it without a stack trace and both transports pass `code` through to the UI.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'bad-input',
  ) {
    super(message);
    this.name = 'UserError';
  }
}
