import { standIn } from '../helpers/backend.js';
import { startCloneContract } from './start-clone.contract.js';

startCloneContract(standIn);
