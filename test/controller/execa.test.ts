import { execaHarness } from '../contract/harness.js';
import { controllerContract } from './controller.contract.js';
import { faultyStandIn, truthfulContract } from './truthful.contract.js';

controllerContract('ExecaVBoxManageClient and the VBoxManage stand-in', execaHarness);

truthfulContract('ExecaVBoxManageClient and the VBoxManage stand-in', faultyStandIn);
