// Keyboard focus helpers for modal dialogs. DOM only, no state.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** The elements Tab can reach inside `root`, in document order (visible ones only). */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[inert]'),
  );
}

/**
 * Keeps Tab and Shift+Tab inside `root`, wrapping from the last stop to the first and back.
 * Handles every Tab itself (same order as the browser's), so focus can never leave a modal.
 */
export function trapTab(root: HTMLElement, event: KeyboardEvent): void {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const items = tabbables(root);
  const count = items.length;
  if (count === 0) return;
  const active = document.activeElement;
  const index = active instanceof HTMLElement ? items.indexOf(active) : -1;
  let next: HTMLElement | undefined;
  if (index >= 0) {
    next = items[(index + (event.shiftKey ? count - 1 : 1)) % count];
  } else if (active instanceof Node && root.contains(active)) {
    // Focus is on something Tab does not stop at (the title, the dialog): continue from there.
    const follows = (el: HTMLElement) =>
      (active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    next = event.shiftKey ? (items.filter((el) => !follows(el)).at(-1) ?? items.at(-1)) : (items.find(follows) ?? items[0]);
  } else {
    next = event.shiftKey ? items.at(-1) : items[0];
  }
  next?.focus();
}

/** Focuses `target` if it can still take focus, else `fallback` (e.g. the panel heading). */
export function restoreFocus(target: HTMLElement | null | undefined, fallback?: () => HTMLElement | null): void {
  const usable =
    target &&
    target.isConnected &&
    !(target as HTMLButtonElement).disabled &&
    target.getClientRects().length > 0;
  const el = usable ? target : fallback?.();
  el?.focus({ preventScroll: false });
}
