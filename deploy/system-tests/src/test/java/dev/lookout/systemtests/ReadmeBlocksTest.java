package dev.lookout.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extraction ReadmeQuickstartIT relies on, and the root README's quickstart having the blocks it runs (no stack needed). */
class ReadmeBlocksTest {

    @Test
    void shouldFindTheRootReadmesQuickstartBlocksInOrder() {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("deploy/keycloak/lookout-realm.json"))) {
            root = root.getParent();
        }
        Map<String, String> blocks = ReadmeBlocks.quickstart(root.resolve("README.md"));
        assertEquals(List.of("env", "install", "setup", "train", "gate"), List.copyOf(blocks.keySet()));
        assertEquals(Set.copyOf(PythonJob.README_VARIABLES), ReadmeBlocks.exported(blocks.get("env")));
        assertTrue(blocks.get("install").contains("pip install"), blocks.get("install"));
        assertTrue(blocks.get("gate").startsWith("lookout gate "), blocks.get("gate"));
    }

    @Test
    void shouldTakeOnlyMarkedFencedBlocksAndRefuseAnEnvBlockThatRunsCommands(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, """
                # x
                ```bash
                echo not marked
                ```
                <!-- quickstart:one -->
                ```bash
                export A=1 B=2   # two
                ```
                text
                <!-- quickstart:two -->
                ```
                echo two
                echo three
                ```
                """);
        Map<String, String> blocks = ReadmeBlocks.quickstart(readme);
        assertEquals(Map.of("one", "export A=1 B=2   # two\n", "two", "echo two\necho three\n"), blocks);
        assertEquals(Set.of("A", "B"), ReadmeBlocks.exported(blocks.get("one")));
        assertEquals("set -euo pipefail\n# --- quickstart:two\necho two\necho three\n# --- quickstart:one\nexport A=1 B=2   # two\n",
                ReadmeBlocks.script(blocks, List.of("two", "one")));
        assertThrows(IllegalStateException.class, () -> ReadmeBlocks.exported("export A=1\ncurl evil"));
        assertThrows(IllegalStateException.class, () -> ReadmeBlocks.script(blocks, List.of("three")));
    }
}
