package dev.lookout.systemtests;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(SystemExtension.class)}: the system is started before the first test class that needs it and
 * stopped when the whole test run ends (the root store closes AutoCloseable values), once per JVM.
 */
public final class SystemExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SystemUnderTest.class, key -> SystemUnderTest.get(), SystemUnderTest.class);
    }
}
