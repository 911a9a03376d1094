// Unified diffs as the backend writes them (`plan_profile` → files[].diff): split into lines
// the preview can colour and number. Pure; no DOM.

/**
 * - `add` / `del` / `context`: a line of the file (`+`, `-`, ` `);
 * - `hunk`: an `@@ -a,b +c,d @@` header;
 * - `header`: the `--- a/…` / `+++ b/…` file names;
 * - `meta`: anything else, e.g. `\ No newline at end of file`.
 */
export type DiffLineKind = 'add' | 'del' | 'context' | 'hunk' | 'header' | 'meta';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line as written in the diff, including its leading `+`/`-`/space. */
  text: string;
  /** Line number in the old file (del, context). */
  oldLine: number | null;
  /** Line number in the new file (add, context). */
  newLine: number | null;
}

/** The kind of one diff line, by its first characters. */
export function classifyDiffLine(line: string): DiffLineKind {
  if (line.startsWith('--- ') || line.startsWith('+++ ')) return 'header';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith(' ') || line === '') return 'context';
  return 'meta';
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Every line of a unified diff, classified and numbered. "" (unchanged file) gives []. */
export function parseDiff(diff: string): DiffLine[] {
  if (diff === '') return [];
  const raw = diff.endsWith('\n') ? diff.slice(0, -1) : diff;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  return raw.split('\n').map((text) => {
    // `---`/`+++` only name files before the first hunk; inside one they are content.
    let kind = classifyDiffLine(text);
    if (kind === 'header' && inHunk) kind = text.startsWith('+') ? 'add' : 'del';
    const line: DiffLine = { kind, text, oldLine: null, newLine: null };
    switch (kind) {
      case 'hunk': {
        const m = HUNK.exec(text);
        oldNo = m ? Number(m[1]) : 0;
        newNo = m ? Number(m[2]) : 0;
        inHunk = true;
        break;
      }
      case 'add':
        line.newLine = newNo++;
        break;
      case 'del':
        line.oldLine = oldNo++;
        break;
      case 'context':
        line.oldLine = oldNo++;
        line.newLine = newNo++;
        break;
      default:
        break;
    }
    return line;
  });
}

export interface DiffStats {
  added: number;
  removed: number;
  /** The old side is /dev/null: the switch creates the file. */
  created: boolean;
  /** The new side is /dev/null: the switch deletes the file. */
  deleted: boolean;
}

export function diffStats(diff: string): DiffStats {
  const lines = parseDiff(diff);
  const headers = lines.filter((l) => l.kind === 'header');
  return {
    added: lines.filter((l) => l.kind === 'add').length,
    removed: lines.filter((l) => l.kind === 'del').length,
    created: headers.some((l) => l.text === '--- /dev/null'),
    deleted: headers.some((l) => l.text === '+++ /dev/null'),
  };
}
