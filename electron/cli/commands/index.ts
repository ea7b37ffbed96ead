import type { Command } from '../command';
import { info } from './info';
import { serve } from './serve';
import { exportCommand } from './export';
import { importIdentitiesCommand, mergeCommand } from './merge';
import { conflictsCommand } from './conflicts';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [info, serve, exportCommand, mergeCommand, importIdentitiesCommand, conflictsCommand];
