// App-wide reactive state: what is open, and a version that changes after every write so
// that views reload what they show.
import type { AppInfo } from "./api";

export const app = $state({
  version: 0,
  info: null as AppInfo | null,
  presentation: false,
  /** A long operation the shell reported ("Öppnar databasen …"), or null. */
  busy: null as string | null,
  /** Bumped when something other than the sidebar locked the database. */
  locks: 0,
  /** The change the next undo would reverse, as the audit log names it. */
  undoable: null as string | null,
});

export function changed() {
  app.version += 1;
}
