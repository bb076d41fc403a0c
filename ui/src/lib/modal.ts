// What every dialog does with the keyboard, once (WCAG 2.1.2, 2.4.3): when it opens the focus
// moves into it (its autofocus field, else its first control, else the dialog); Tab and
// Shift+Tab go round inside it; Escape closes it; and when it closes the focus goes back to
// what had it before (or to the content, when that is gone).
//
//   <div role="dialog" aria-modal="true" use:modal={close}> … </div>

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The controls of `node` the keyboard can reach, in order. */
function reachable(node: HTMLElement): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.getClientRects().length > 0);
}

/** A Svelte action for a dialog; `onclose` runs on Escape (undefined: Escape does nothing). */
export function modal(node: HTMLElement, onclose: (() => void) | undefined) {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let close = onclose;
  queueMicrotask(() => {
    if (node.contains(document.activeElement)) return;
    const first = node.querySelector<HTMLElement>("[autofocus]") ?? reachable(node)[0] ?? node;
    first.focus();
  });
  function onkeydown(e: KeyboardEvent) {
    if (e.key === "Escape" && close) {
      e.preventDefault();
      // The dialog's Escape is its own: the window's shortcuts do not see it.
      e.stopPropagation();
      close();
      return;
    }
    // Shift+Tab can arrive as key "Unidentified" (GTK's ISO_Left_Tab); the physical key is Tab.
    if (e.key !== "Tab" && e.code !== "Tab") return;
    const all = reachable(node);
    if (all.length === 0) {
      e.preventDefault();
      return;
    }
    const first = all[0];
    const last = all[all.length - 1];
    const here = document.activeElement;
    if (e.shiftKey && (here === first || !node.contains(here))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (here === last || !node.contains(here))) {
      e.preventDefault();
      first.focus();
    }
  }
  node.addEventListener("keydown", onkeydown);
  return {
    update(next: (() => void) | undefined) {
      close = next;
    },
    destroy() {
      node.removeEventListener("keydown", onkeydown);
      // After the dialog has left the page: give the focus back, unless whoever closed it
      // has already put it somewhere.
      queueMicrotask(() => {
        const now = document.activeElement;
        if (now && now !== document.body && now.isConnected) return;
        if (before && before.isConnected && before !== document.body) before.focus();
        else document.getElementById("content")?.focus();
      });
    },
  };
}
