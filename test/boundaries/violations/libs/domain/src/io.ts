// Breaks domain-and-folds-without-io (a Node built-in) and domain-and-folds-without-io-libraries.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
export const io = [readFileSync, Database];
