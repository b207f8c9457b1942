// Truthful results (interrupted and doubtful changes) against the real client and the VBoxManage stand-in.
import { faultyStandIn, truthfulContract } from './truthful.contract.js';

truthfulContract('ExecaVBoxManageClient and the VBoxManage stand-in', faultyStandIn);
