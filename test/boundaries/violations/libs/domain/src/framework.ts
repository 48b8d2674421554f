// Breaks domain-and-folds-without-framework.
import { Injectable } from '@nestjs/common';
export const decorated = Injectable;
