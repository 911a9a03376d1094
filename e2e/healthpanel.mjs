// Driving the Health panel of the real window (shared by health.test.mjs and screenshots.mjs).
// Its hooks are listed in ui/README.md ("Test hooks").

import { clickOn, execute, waitFor, waitUntil } from './webdriver.mjs';

/** `[{ endpoint, kind, state, outcome }]` of the Health panel's rows, in table order. */
export const healthRows = (driver) =>
  execute(
    driver,
    `return Array.from(document.querySelectorAll('[data-testid=health-row]'), (row) => ({
       endpoint: row.dataset.endpoint, kind: row.dataset.kind, state: row.dataset.state,
       outcome: row.dataset.outcome ?? null,
     }));`,
  );

/** A selector for the Health row of `endpoint`, followed by `inner` (if given). */
export const rowOf = (endpoint, inner = '') =>
  `[data-testid=health-row][data-endpoint=${JSON.stringify(endpoint)}]${inner ? ` ${inner}` : ''}`;

/**
 * Clicks Check and waits for the finished report: the panel `done` with a verdict that is not
 * the previous one, and every row done. The previous verdict is marked before the click (a run
 * removes it), so a check that ends between two polls is still told apart from the last one.
 */
export async function runCheck(driver, timeoutMs = 30_000) {
  await execute(
    driver,
    'document.querySelector("[data-testid=health-verdict]")?.setAttribute("data-e2e-previous", ""); return true;',
  );
  await clickOn(driver, '[data-testid=check-run]:not([disabled])');
  await waitFor(
    driver,
    '[data-testid=health][data-state=done] [data-testid=health-verdict]:not([data-e2e-previous])',
    timeoutMs,
  );
  await waitUntil(
    async () => (await healthRows(driver)).every((row) => row.state === 'done'),
    'every row to be done',
    5_000,
  );
}
