import { inMemoryHarness } from '../contract/harness.js';
import { controllerContract } from './controller.contract.js';
import { faultyInMemory, truthfulContract } from './truthful.contract.js';

controllerContract('InMemoryVBoxManageClient', inMemoryHarness);

truthfulContract('InMemoryVBoxManageClient', faultyInMemory);
