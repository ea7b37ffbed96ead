import type { Command } from '../command';
import { info } from './info';
import { serve } from './serve';
import { train } from './train';
import { models } from './models';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [info, serve, train, models];
