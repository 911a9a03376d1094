// The switch targets as read from the backend, kept while panels change.

import { getTargets } from './api';
import { Loadable } from './loadable.svelte';
import type { TargetsView } from './types';

export const targetsStore = new Loadable<TargetsView>(getTargets);
