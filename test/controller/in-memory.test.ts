import { inMemoryHarness } from '../contract/harness.js';
import { controllerContract } from './controller.contract.js';

controllerContract('InMemoryVBoxManageClient', inMemoryHarness);
