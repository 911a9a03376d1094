// TypeScript view of the Status JSON produced by `modroute-core` (`status::gather`) and
// returned by the `get_status` IPC command. See contract: fields may be added, never renamed.

/** The 12 variables modroute reports, in the order the backend emits them. */
export const VAR_NAMES = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
] as const;

export type VarName = (typeof VAR_NAMES)[number];

/** Where a value can come from. */
export type Source = 'env' | 'goenv' | 'goroot' | 'default';

/** Go's precedence, strongest first: non-empty OS variable > go env file > $GOROOT/go.env > default. */
export const SOURCES: readonly Source[] = ['env', 'goenv', 'goroot', 'default'];

/** `go`: read from every layer; `network`: go reads it only from the OS environment. */
export type VarKind = 'go' | 'network';

export type FileState = 'read' | 'missing' | 'unreadable' | 'off' | 'unknown';

export type NoteCode = 'ignored' | 'key_space' | 'carriage_return' | 'quoted' | 'duplicate';

/** A line of an env file that go reads differently from what its author probably meant. */
export interface FileNote {
  line: number;
  code: NoteCode;
  key?: string | null;
  text: string;
}

/** One env file layer: the user go env file or $GOROOT/go.env. */
export interface EnvFile {
  path: string | null;
  state: FileState;
  error: string | null;
  notes: FileNote[];
}

export type GorootFoundBy = 'goenv' | 'env' | 'path' | 'go_env_command';

export interface Goroot {
  path: string | null;
  found_by: GorootFoundBy | null;
  /** The toolchain version from $GOROOT/VERSION, e.g. "go1.23.5". */
  version?: string | null;
  go_env_file: EnvFile;
}

export interface Location {
  file: string;
  line: number;
}

/** The value of each layer; null when the layer does not set the variable. */
export type Layers = Record<Source, string | null>;

export interface VarStatus {
  kind: VarKind;
  /** The effective value; "" when unset or empty. Already redacted by the backend. */
  value: string;
  source: Source;
  layers: Layers;
  /** Where the winning value is written, for file layers. */
  location: Location | null;
  /** Which OS variable fed the env layer (e.g. `https_proxy` for HTTPS_PROXY). */
  env_name: string | null;
  /** GONOPROXY/GONOSUMDB default to GOPRIVATE's value. */
  derived_from: string | null;
}

export interface Status {
  /** Path of the go env file, "off" (GOENV=off), or "" when it cannot be determined. */
  goenv: string;
  goenv_file: EnvFile;
  goroot: Goroot;
  /** Always the 12 VAR_NAMES, in that order (a newer backend may add more). */
  vars: Record<string, VarStatus>;
}
