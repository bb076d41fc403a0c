// What every dialog does with the keyboard, once (WCAG 2.1.2, 2.4.3): when it opens the focus
// moves into it (its autofocus field, else its first control, else the dialog); Tab and
// Shift+Tab go round inside it; Escape closes it; and when it closes the focus goes back to
// what had it before (or to the content, when that is gone).
//
//   <div role="dialog" aria-modal="true" use:modal={close}> … </div>

const FOCUSABLE =
  'button:not([disabled]), [href], summary, input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The controls of `node` the keyboard can reach, in order. */
function reachable(node: HTMLElement): HTMLElement[] {
  return [...node.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.getClientRects().length > 0);
}

// The dialogs open now, the newest last: only the newest one holds the focus (the help can
// open over the workshop).
const open: HTMLElement[] = [];

/** Whether a dialog is open: the window's shortcuts that go elsewhere wait until it closes. */
export function dialogOpen(): boolean {
  return open.length > 0;
}

/** A Svelte action for a dialog; `onclose` runs on Escape (undefined: Escape does nothing). */
export function modal(node: HTMLElement, onclose: (() => void) | undefined) {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let close = onclose;
  open.push(node);
  const newest = () => open[open.length - 1] === node;
  queueMicrotask(() => {
    if (node.contains(document.activeElement)) return;
    const first = node.querySelector<HTMLElement>("[autofocus]") ?? reachable(node)[0] ?? node;
    first.focus();
  });
  function onkeydown(e: KeyboardEvent) {
    if (!newest()) return;
    if (e.key === "Escape" && close && !e.isComposing) {
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
    // At either end, on the dialog itself (a click on its text puts the focus there) or from
    // outside it, the focus goes round; elsewhere the browser moves it, and focusin below
    // catches a way out.
    const here = all.indexOf(document.activeElement as HTMLElement);
    const active = document.activeElement;
    const notOnAControl = active === node || !node.contains(active);
    if (e.shiftKey && (here === 0 || notOnAControl)) {
      e.preventDefault();
      all[all.length - 1].focus();
    } else if (!e.shiftKey && (here === all.length - 1 || notOnAControl)) {
      e.preventDefault();
      all[0].focus();
    }
  }
  // Whatever way the focus finds out of the newest dialog (a radio group, a control that was
  // disabled meanwhile), it is brought back.
  function onfocusin(e: FocusEvent) {
    if (!newest() || !(e.target instanceof Node) || node.contains(e.target)) return;
    (reachable(node)[0] ?? node).focus();
  }
  // On the document, not the dialog: Escape and Tab work also when the focus has fallen out
  // to the page (a button that removed itself had it).
  document.addEventListener("keydown", onkeydown);
  document.addEventListener("focusin", onfocusin);
  return {
    update(next: (() => void) | undefined) {
      close = next;
    },
    destroy() {
      document.removeEventListener("keydown", onkeydown);
      document.removeEventListener("focusin", onfocusin);
      open.splice(open.indexOf(node), 1);
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
