import { megabyteDefinition, largeCase, loaderOf, importsCase, providersOf, rot128 } from "../../bench/eval/fixtures.js";
import { checkDefinition, evaluateEnvironment } from "./index.js";
const t = megabyteDefinition();
const large = largeCase();
const imp = importsCase();
const which = process.argv[2];
for (let k = 0; k < 40; k++) {
  if (which === "d") await checkDefinition(t, "x");
  if (which === "c") await evaluateEnvironment(large.root, { name: "root", loader: loaderOf(large.files, 0) });
  if (which === "a") for (let j = 0; j < 10; j++) await evaluateEnvironment(imp.root, { name: "root", loader: loaderOf(imp.files, 0), providers: providersOf(0), decrypter: rot128 });
}
