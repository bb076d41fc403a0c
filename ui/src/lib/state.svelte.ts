// App-wide reactive state: what is open, and a version that changes after every write so
// that views reload what they show.
import type { AppInfo } from "./api";

export const app = $state({
  version: 0,
  info: null as AppInfo | null,
  presentation: false,
});

export function changed() {
  app.version += 1;
}
