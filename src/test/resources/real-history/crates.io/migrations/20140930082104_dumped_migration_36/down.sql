CREATE TABLE version_dependencies (
                            version_id INTEGER
                        );