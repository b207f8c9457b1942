import { inMemory } from '../helpers/backend.js';
import { controllerContract } from './controller.contract.js';
import { truthfulContract } from './truthful.contract.js';

controllerContract(inMemory);

truthfulContract(inMemory);
