import { execaHarness } from '../contract/harness.js';
import { controllerContract } from './controller.contract.js';

controllerContract('ExecaVBoxManageClient and the VBoxManage stand-in', execaHarness);
