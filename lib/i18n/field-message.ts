// How a schema names a field message the API shows in the viewer's language. Pure: schemas are
// shared with the browser, so the English text stays here and the catalogue is read only in lib/http.
import type { ErrorKey, ErrorValues } from './messages';

/**
 * Options for `.refine()` and `ctx.addIssue()`: the English `message` (what zod reports) and the
 * catalogue key toErrorResponse shows instead. Builtin checks (`.min`, `.max`, `.regex`) drop
 * params, so user-facing checks are written as refinements.
 */
export function fieldMessage(messageKey: ErrorKey, message: string, values?: ErrorValues) {
  return { message, params: { messageKey, values } };
}
