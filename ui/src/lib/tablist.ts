// The keyboard of a row of tabs (the ARIA tabs pattern, automatic activation): the selected
// tab is the row's one stop in the Tab order (each tab sets tabindex={selected ? 0 : -1}), and
// the arrow keys, Home and End move to another tab and open it.
//
//   <div class="tabs" role="tablist" use:tablist> <button role="tab" …> … </div>

/** A Svelte action for an element with role="tablist". */
export function tablist(node: HTMLElement) {
  function onkeydown(e: KeyboardEvent) {
    const tabs = [...node.querySelectorAll<HTMLElement>('[role="tab"]')];
    const here = tabs.indexOf(e.target as HTMLElement);
    if (here < 0) return;
    let next: number;
    if (e.key === "ArrowRight") next = (here + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (here - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    else return;
    e.preventDefault();
    tabs[next].focus();
    tabs[next].click();
  }
  node.addEventListener("keydown", onkeydown);
  return {
    destroy() {
      node.removeEventListener("keydown", onkeydown);
    },
  };
}
