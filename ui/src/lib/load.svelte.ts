// The load-and-report-errors pattern every view repeats, once: a value fetched when the view
// opens and again after every write (app.version), the Swedish message when it fails; and a
// write that reloads the views when it succeeds and reports a refusal when it does not.
import { errorMessage } from "./api";
import { app, changed } from "./state.svelte";

export interface Loaded<T> {
  /** The value, once loaded. */
  value: T | null;
  /** Why the last load failed, in Swedish (empty when it did not). */
  error: string;
}

/**
 * Loads `fetch()` now and after every write, and again when what `deps` reads changes. Call
 * it while a component initialises. A slower, earlier answer never overwrites a later one.
 */
export function loaded<T>(fetch: () => Promise<T>, deps: () => unknown = () => undefined): Loaded<T> {
  const state = $state<Loaded<T>>({ value: null, error: "" });
  $effect(() => {
    void app.version;
    deps();
    let current = true;
    fetch()
      .then((v) => {
        if (current) {
          state.value = v;
          state.error = "";
        }
      })
      .catch((e) => {
        if (current) state.error = errorMessage(e);
      });
    return () => {
      current = false;
    };
  });
  return state;
}

/**
 * Runs a write: on success every view reloads and `onError("")` clears the last refusal; a
 * refusal is reported through `onError` in Swedish. Returns whether it succeeded.
 */
export async function write(call: () => Promise<unknown>, onError: (message: string) => void): Promise<boolean> {
  try {
    await call();
    onError("");
    changed();
    return true;
  } catch (e) {
    onError(errorMessage(e));
    return false;
  }
}
