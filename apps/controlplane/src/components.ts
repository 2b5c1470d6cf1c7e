/**
 * The components `trellis controlplane` starts besides the resource API (see ControlPlaneComponent
 * in ./server). Add yours to this list: the order is start order, shutdown runs in reverse.
 */
import type { ControlPlaneComponent } from './server';

export const DEFAULT_COMPONENTS: ControlPlaneComponent[] = [];
