// Commands in flight, counted by api.ts so that a slow one shows progress. Its own module, so
// that the command wrappers depend on nothing else of the app's state.
export const inflight = $state({ count: 0 });
