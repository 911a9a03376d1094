// The panels reachable from the sidebar, addressed by the URL hash (`#/overview`).

export const PANELS = ['overview', 'profiles', 'health', 'doctor', 'history', 'settings'] as const;
export type Panel = (typeof PANELS)[number];
export const DEFAULT_PANEL: Panel = 'overview';

export function panelFromHash(hash: string): Panel {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return (PANELS as readonly string[]).includes(name) ? (name as Panel) : DEFAULT_PANEL;
}
