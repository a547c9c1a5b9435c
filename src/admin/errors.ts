/** The back-office's errors are the server's: `{ error: { code, message } }` with their status. */
export { HttpError as AdminError } from '../server';
