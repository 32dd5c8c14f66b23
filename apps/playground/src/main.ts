// The playground arrives with the infer-web issue; this page proves the workspace wiring.
import { OPSET } from '@vae/infer-web';

const app = document.querySelector('#app');
if (app) app.textContent = `vae playground: not built yet (core lowers to ONNX opset ${OPSET}).`;
