import type { Command } from '../command';
import { importCommand } from './import';
import { evalCommand } from './eval';
import { info } from './info';
import { matchCommand } from './match';
import { serve } from './serve';
import { embed } from './embed';
import { fetchModelsCommand } from './fetch-models';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [
  info,
  serve,
  importCommand,
  embed,
  fetchModelsCommand,
  matchCommand,
  evalCommand,
];
