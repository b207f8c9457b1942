import { inMemory } from '../helpers/backend.js';
import { startCloneContract } from './start-clone.contract.js';

startCloneContract(inMemory);
