/** An error the back-office routes turn into `{ error: { code, message } }` with its status. */
export class AdminError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}
