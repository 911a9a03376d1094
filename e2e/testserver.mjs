// The loopback test servers of crates/modroute-testkit (`modroute-testserver`) for the tests and
// the screenshots that check a route in the real window.
//
// The binary prints one JSON line with its base URLs ({"http":"http://127.0.0.1:P", "tls", "tls_named",
// "self_signed", "wrong_name", "expired", "proxy", "no_connect_proxy", "closed", "ca_file"}) and
// serves until its standard input closes. A base takes a fault as its first path segment:
// `${http}/ok` is a correct Go module proxy, `${http}/slow-200` answers after 200 ms,
// `${http}/500` fails every request … (see the `modroute-testkit` library docs).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { annotate } from './webdriver.mjs';

/** The test server binary, from MODROUTE_TESTSERVER_BIN (an absolute path). */
export function testServerBinary() {
  const bin = process.env.MODROUTE_TESTSERVER_BIN;
  if (!bin) {
    throw new Error(
      'set MODROUTE_TESTSERVER_BIN to the absolute path of target/debug/modroute-testserver ' +
        '(cargo build -p modroute-testkit --bins)',
    );
  }
  if (!existsSync(bin)) throw new Error(`MODROUTE_TESTSERVER_BIN does not exist: ${bin}`);
  return bin;
}

/**
 * Starts the test servers and resolves to `{ urls, stop(), log() }` once they listen: `urls` is
 * the JSON line the binary printed. Always call `stop()` (it closes the server's standard input,
 * which ends it; a server that does not end within 3 s is killed). If this Node process dies
 * first, the closed pipe ends the server all the same.
 */
export async function startTestServer({ bin = testServerBinary(), startupTimeoutMs = 10_000 } = {}) {
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const log = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => log.push(chunk));
  child.stdin.on('error', () => {}); // EPIPE when it is already gone

  const kill = () => { try { child.kill('SIGKILL'); } catch { /* gone */ } };
  process.once('exit', kill);
  exited.then(() => process.off('exit', kill));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const done = await Promise.race([exited, sleep(3_000).then(() => null)]);
    if (!done) {
      kill();
      await Promise.race([exited, sleep(2_000)]);
    }
  };

  let urls;
  try {
    urls = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`modroute-testserver printed no URLs within ${startupTimeoutMs} ms`)),
        startupTimeoutMs,
      );
      child.once('error', (err) => { clearTimeout(timer); reject(err); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`modroute-testserver exited (${signal ?? code}) before printing its URLs`));
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const end = out.indexOf('\n');
        if (end < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(out.slice(0, end)));
        } catch (err) {
          reject(new Error(`modroute-testserver printed no JSON: ${out.slice(0, end)} (${err.message})`));
        }
      });
    });
  } catch (err) {
    await stop();
    throw log.length > 0 ? annotate(err, `\n--- modroute-testserver stderr ---\n${log.join('')}`) : err;
  }
  return { urls, stop, log: () => log.join(''), pid: child.pid };
}
