// Jest with Oracle's SuiteCloud configuration: N/* modules resolve to the package's stubs and
// "SuiteScripts/..." resolves to src/FileCabinet/SuiteScripts/....
const SuiteCloudJestConfiguration = require('@oracle/suitecloud-unit-testing/jest-configuration/SuiteCloudJestConfiguration');

module.exports = SuiteCloudJestConfiguration.build({
    projectFolder: 'src',
    projectType: SuiteCloudJestConfiguration.ProjectType.ACP,
});
