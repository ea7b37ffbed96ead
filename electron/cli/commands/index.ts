import type { Command } from '../command';
import { info } from './info';
import { serve } from './serve';
import { synth } from './synth';
import { demo } from './demo';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [info, serve, synth, demo];
