import type { Command } from '../command';
import { importCommand } from './import';
import { evalCommand } from './eval';
import { info } from './info';
import { matchCommand } from './match';
import { serve } from './serve';
import { train } from './train';
import { models } from './models';
import { embed } from './embed';
import { fetchModelsCommand } from './fetch-models';
import { synth } from './synth';
import { demo } from './demo';
import { exportCommand } from './export';
import { importIdentitiesCommand, mergeCommand } from './merge';
import { conflictsCommand } from './conflicts';
import { checkFilesCommand } from './check-files';
import { settingsCommand } from './settings';
import { teamCommand } from './team';

/** Every `caudal` subcommand. A feature adds its command file and one entry here. */
export const commands: Command[] = [
  info,
  settingsCommand,
  serve,
  importCommand,
  checkFilesCommand,
  embed,
  fetchModelsCommand,
  synth,
  demo,
  matchCommand,
  evalCommand,
  exportCommand,
  mergeCommand,
  importIdentitiesCommand,
  conflictsCommand,
  train,
  models,
  teamCommand,
];
